// A small history router for /app/… routes, so that links can be shared.
import { useEffect, useState } from "preact/hooks";

export const BASE = "/app/";

export interface Location {
  path: string[];
  query: URLSearchParams;
}

function current(): Location {
  const rest = window.location.pathname.startsWith(BASE)
    ? window.location.pathname.slice(BASE.length)
    : "";
  return {
    path: rest.split("/").filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(window.location.search),
  };
}

const listeners = new Set<() => void>();
window.addEventListener("popstate", () => listeners.forEach((l) => l()));

export function navigate(to: string, replace = false): void {
  const url = to.startsWith("/") ? to : BASE + to;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  listeners.forEach((l) => l());
  if (!replace) window.scrollTo(0, 0);
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return loc;
}

/** Follow in-app links without reloading the page. */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const a = (event.target as HTMLElement).closest("a");
    if (!a || a.target || a.hasAttribute("download")) return;
    const href = a.getAttribute("href");
    if (!href || !href.startsWith(BASE)) return;
    event.preventDefault();
    navigate(href);
  });
}
