// GOV.UK Frontend's components (service navigation toggle, skip link, buttons), started from a
// file because the pages' CSP allows no inline script.
import { initAll } from "/static/vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
