// First step of `npm test`: the Debian packages the tests need (chromium, ffmpeg for the joined films, and what
// code-server's native modules build with), installed when missing and running as root.
import { ensureAptPackages } from './provision.mjs';

ensureAptPackages();
