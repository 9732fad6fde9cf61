// First step of `npm test`: the Debian packages the browser tests need (chromium, and what
// code-server's native modules build with), installed when missing and running as root.
import { ensureAptPackages } from './provision.mjs';

ensureAptPackages();
