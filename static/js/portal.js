// Move keyboard and screen-reader focus to a form's error summary so the errors are announced.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
