import { render } from 'preact';
import { App } from './app.js';
import { onLinkClick } from './lib/router.js';

document.addEventListener('click', onLinkClick);
const root = document.getElementById('app');
if (root) render(<App />, root);
