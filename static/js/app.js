// CSP Tracker's one script, loaded as <script type="module">, so it only runs in browsers
// that GOV.UK Frontend supports. The import is relative to this file: it resolves under
// whatever STATIC_URL is, without any template tag.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

// The base template's nonce'd snippet adds this class before first paint; adding it here too
// keeps the components working if that snippet is ever missing (initAll() does nothing
// without it).
document.body.classList.add("govuk-frontend-supported");
initAll();
