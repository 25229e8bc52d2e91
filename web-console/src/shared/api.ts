// The HTTP client of every page: JSON calls to the service's own /api with a bearer token, refusals turned into
// ApiError with the problem+json answer's text (never anything the page made up).
import { encodeText } from './text';

export interface Problem {
  status?: number;
  title?: string;
  detail?: string;
  errors?: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

/** A query string of the parameters that have a value. */
export function query(params: Query): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(name, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A path segment, encoded: ids typed into a page go into URLs only this way. */
export const seg = (value: string) => encodeText(value);

export class Api {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void,
  ) {}

  get<T>(path: string, params: Query = {}): Promise<T> {
    return this.call<T>('GET', path + query(params));
  }

  post<T>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.call<T>('POST', path, body ?? {}, headers);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body);
  }

  delete(path: string): Promise<void> {
    return this.call<void>('DELETE', path);
  }

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json',
        Authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
    });
    if (response.status === 401) {
      this.onUnauthorized();
    }
    const text = await response.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const problem = json && typeof json === 'object' ? (json as Problem) : { title: response.statusText };
      throw new ApiError(response.status, problem);
    }
    return json as T;
  }
}

/** The text to show for a failed call. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    const errors = error.problem.errors?.length ? `: ${error.problem.errors.join('; ')}` : '';
    return `${error.status} ${error.message}${errors}`;
  }
  return error instanceof Error ? error.message : String(error);
}
