"use strict";
// After signing in, go back where the dispatcher came from (same site only) or to the picker.
wireLogin(() => {
  const next = new URLSearchParams(location.search).get("next") || "";
  location.assign(next.startsWith("/console/") && !next.startsWith("//") ? next : "/console/");
});
