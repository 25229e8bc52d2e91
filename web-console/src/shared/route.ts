// A hash router: #/path?name=value. Every page of a console is an address that can be bookmarked and reloaded.
import { useEffect, useState } from 'preact/hooks';
import { encodeText } from './text';

export interface Route {
  parts: string[];
  params: URLSearchParams;
}

/** The route an address's fragment names: parts decoded, empty parts left out; never throws. */
export function parse(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const question = text.indexOf('?');
  const path = question < 0 ? text : text.slice(0, question);
  const search = question < 0 ? '' : text.slice(question + 1);
  return {
    parts: path.split('/').filter(Boolean).map(decode),
    params: new URLSearchParams(search),
  };
}

/** A part as typed into the address bar may be malformed percent-encoding: it is then taken as it is. */
function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function current(): Route {
  return parse(location.hash);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const changed = () => setRoute(current());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

/** The href of a route: parts encoded, empty parameters left out. */
export function href(parts: string[], params: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value) search.set(name, value);
  }
  const text = search.toString();
  return `#/${parts.map(encodeText).join('/')}${text ? `?${text}` : ''}`;
}

export function navigate(to: string) {
  location.hash = to;
}
