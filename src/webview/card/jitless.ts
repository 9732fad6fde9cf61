// Imported first by the card. zod decides once, when the first schema is made, whether it may compile
// validators with `new Function`; the card's CSP forbids that (every attempt is a reported violation),
// so it is told not to try before anything else loads.
import { config } from 'zod/v4/core';

config({ jitless: true });
