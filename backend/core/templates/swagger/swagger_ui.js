"use strict";

// Writes with a session need the csrftoken cookie's value in a header. It is read
// at every request: signing in (even from this page) rotates the token.
function csrfToken() {
  const prefix = "{{ csrf_cookie_name|escapejs }}=";
  const pair = document.cookie.split("; ").find((item) => item.startsWith(prefix));
  return pair ? decodeURIComponent(pair.slice(prefix.length)) : "";
}

const SAFE_METHODS = ["GET", "HEAD", "OPTIONS", "TRACE"];

window.ui = SwaggerUIBundle({
  url: "{{ schema_url|escapejs }}",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  ...{{ settings|safe }},
  requestInterceptor: (request) => {
    if (!SAFE_METHODS.includes((request.method || "GET").toUpperCase())) {
      request.headers["{{ csrf_header_name|escapejs }}"] = csrfToken();
    }
    return request;
  },
});
