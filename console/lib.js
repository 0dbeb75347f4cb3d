// The two small libraries the console is built on, loaded from the server's own
// copy (installed from the npm registry): preact renders, htm gives it HTML syntax.
import { h, render, Component, createRef } from './vendor/preact.js';
import htm from './vendor/htm.js';

export const html = htm.bind(h);
export { h, render, Component, createRef };
