// History API routing: links inside the app change the URL without a reload;
// back and forward render the screen of the URL they land on.

export function createRouter(routes, render) {
  function match(pathname) {
    for (const route of routes) {
      const found = route.pattern.exec(pathname);
      if (found) return { route, params: found.groups || {} };
    }
    return null;
  }

  function navigate(target, { replace = false } = {}) {
    const next = new URL(target, location.href);
    if (next.href !== location.href) {
      history[replace ? "replaceState" : "pushState"](null, "", next.pathname + next.search);
    }
    return render(match(location.pathname));
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (link.target || link.hasAttribute("download") || link.origin !== location.origin) return;
    if (/^\/(api|admin|static)\//.test(link.pathname)) return;
    event.preventDefault();
    navigate(link.pathname + link.search);
  });
  window.addEventListener("popstate", () => render(match(location.pathname)));

  return { navigate, current: () => match(location.pathname) };
}

// "/questions/:id" -> a RegExp with named groups.
export function route(path, screen, options = {}) {
  const source = path.replace(/:(\w+)/g, "(?<$1>\\d+)");
  return { pattern: new RegExp(`^${source}/?$`), screen, ...options };
}
