// The GraphQL client: the token from sessionStorage as a bearer header, errors with the
// API's code and field-level problems.
import type { Me } from "./gql/schema";

const TOKEN_KEY = "accountability.token";

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}
export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

export interface Problem {
  where: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly problems: Problem[] = [],
    readonly status = 200,
  ) {
    super(message);
  }
  /** The messages for one field, matched on the problem's last path segment. */
  about(field: string): string[] {
    const fold = (s: string) => s.toLowerCase().replace(/_/g, "");
    return this.problems
      .filter((p) => p.where.split(/[.[\]]/).some((part) => fold(part) === fold(field)))
      .map((p) => p.message);
  }
}

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; problems?: Problem[] };
}

let onUnauthenticated: () => void = () => undefined;
export function whenUnauthenticated(callback: () => void): void {
  onUnauthenticated = callback;
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const token = getToken();
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    credentials: "omit",
  });
  let body: { data?: T | null; errors?: GraphQLErrorShape[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(`The service answered ${response.status}`, "HTTP_ERROR", [], response.status);
  }
  if (response.status === 401) {
    onUnauthenticated();
  }
  if (body.errors && body.errors.length > 0) {
    const first = body.errors[0]!;
    throw new ApiError(
      first.message,
      first.extensions?.code ?? "ERROR",
      body.errors.flatMap((e) => e.extensions?.problems ?? []),
      response.status,
    );
  }
  if (body.data == null) throw new ApiError("No data in the answer", "ERROR");
  return body.data;
}

export const ME = `query Me { me { name role canWrite cleared isAdmin exportProfile } }`;
export type MeData = { me: Me };

/** Download a file the API serves to a bearer (an export bundle) and save it. */
export async function download(url: string, filename: string): Promise<void> {
  const token = getToken();
  const response = await fetch(url, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    credentials: "omit",
  });
  if (!response.ok) throw new ApiError(`Download failed: HTTP ${response.status}`, "HTTP_ERROR");
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
