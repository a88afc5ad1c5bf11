// The drug-suggestion review queue by keyboard: j / k (or the arrow keys) move between suggestions,
// c confirms, r rejects with the reason typed in the action bar, x selects the row for a bulk action.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const rows = Array.from(document.querySelectorAll("#result_list tbody tr"));
  const reason = document.querySelector('#changelist-form input[name="reason"]');
  if (!rows.length) return;
  const help = document.createElement("p");
  help.className = "review-shortcuts";
  help.innerHTML = "Keyboard: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>c</kbd> confirm, " +
    "<kbd>r</kbd> reject (with the reason typed above; <kbd>Esc</kbd> leaves the reason), <kbd>x</kbd> select.";
  document.querySelector("#result_list").before(help);
  let current = 0;
  const show = (index) => {
    rows[current].classList.remove("current");
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows[current].classList.add("current");
    rows[current].scrollIntoView({block: "nearest"});
  };
  show(0);
  const press = (selector) => {
    const button = rows[current].querySelector(selector);
    if (button) button.click();
  };
  if (reason) {
    reason.addEventListener("keydown", (event) => {
      if (event.key === "Escape") reason.blur();  // back to the rows, the reason kept
      if (event.key === "Enter") event.preventDefault();  // Enter would run the action bar's action
    });
  }
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || target.matches("input, textarea, select")) return;
    const actions = {
      j: () => show(current + 1), ArrowDown: () => show(current + 1),
      k: () => show(current - 1), ArrowUp: () => show(current - 1),
      c: () => press("button.confirm"),
      r: () => {
        if (reason && !reason.value.trim()) {
          reason.focus();
          reason.setCustomValidity("Type the reason for the rejection, press Esc, then r again.");
          reason.reportValidity();
          reason.addEventListener("input", () => reason.setCustomValidity(""), {once: true});
          return;
        }
        press("button.reject");
      },
      x: () => press("input.action-select"),
    };
    const act = actions[event.key];
    if (act) {
      event.preventDefault();
      act();
    }
  });
});
