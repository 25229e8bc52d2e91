// Where a page keeps its token: the tab's session storage (gone when the tab closes, never sent by the browser on its
// own, unlike a cookie, so no request can be forged with it from another site). A page in a frame of another site may
// be refused storage (browsers that block third-party storage do): it then keeps the token in memory, for as long as
// the page is open.

const memory = new Map<string, string>();

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function readToken(key: string): string | null {
  try {
    return storage()?.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
}

export function storeToken(key: string, token: string | null) {
  if (token === null) {
    memory.delete(key);
  } else {
    memory.set(key, token);
  }
  try {
    const store = storage();
    if (token === null) {
      store?.removeItem(key);
    } else {
      store?.setItem(key, token);
    }
  } catch {
    // Storage refused or full: the copy in memory serves this page.
  }
}

/**
 * Reads `name=value` pairs from the address's fragment and removes the fragment from the address bar and the tab's
 * history, so that a token handed over in a link is neither left on screen nor kept in the history.
 */
export function takeFragment(): URLSearchParams | null {
  const hash = location.hash.replace(/^#/, '');
  if (!hash.includes('=')) {
    return null;
  }
  const params = new URLSearchParams(hash);
  history.replaceState(null, '', location.pathname + location.search);
  return params;
}
