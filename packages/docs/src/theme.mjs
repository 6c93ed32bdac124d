// The one inline script of every page: before the first paint it applies the reader's stored light or
// dark choice (without one, CSS follows prefers-color-scheme) and marks the page as scripted, so that
// the controls that need a script show without shifting the layout. The server's CSP allows exactly
// this script by its hash.
import { createHash } from 'node:crypto';

export const THEME_KEY = 'cloud66-docs-theme';
export const THEME_BOOT = `(function(){var d=document.documentElement;d.classList.add('js');try{var t=localStorage.getItem(${JSON.stringify(THEME_KEY)});if(t==='dark'||t==='light')d.dataset.theme=t}catch(e){}})();`;
/** The CSP source expression that allows THEME_BOOT as an inline script. */
export const THEME_BOOT_HASH = `'sha256-${createHash('sha256').update(THEME_BOOT).digest('base64')}'`;
