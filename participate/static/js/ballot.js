// The ballot page, improved: credits left (quadratic) or options chosen (approval with a limit),
// updated as the voter types and announced politely. The page works the same without this file.
(function () {
  "use strict";
  var form = document.getElementById("ballot-form");
  var status = document.getElementById("credits-status");
  if (!form || !status) { return; }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  // The same reading as the server's: blank is 0, otherwise a whole number written in digits.
  function votesOf(text) {
    text = text.trim();
    if (text === "") { return 0; }
    return /^[+-]?[0-9]{1,6}$/.test(text) ? parseInt(text, 10) : null;
  }

  var timer = null;
  function announce(text) {
    // Wait for a pause in typing so a screen reader hears the total once, not every keystroke.
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { status.textContent = text; }, 400);
  }

  function updateQuadratic() {
    var credits = parseInt(form.getAttribute("data-credits"), 10);
    var spent = 0;
    var valid = true;
    form.querySelectorAll("input[name^='votes-']").forEach(function (input) {
      var votes = votesOf(input.value);
      var label = form.querySelector("[data-cost-for='" + input.id + "']");
      if (votes === null) { valid = false; }
      else { spent += votes * votes; }
      if (label) {
        label.textContent = votes ? fill(label.getAttribute("data-template"), { credits: votes * votes }) : "";
      }
    });
    if (!valid) { return; }
    var over = spent > credits;
    status.classList.toggle("credits-status--over", over);
    announce(fill(status.getAttribute(over ? "data-over" : "data-ok"), {
      spent: spent, credits: credits, left: credits - spent, over: spent - credits
    }));
  }

  function updateApproval() {
    var max = parseInt(form.getAttribute("data-max-approvals"), 10);
    var given = form.querySelectorAll("input[name='approve']:checked").length;
    status.classList.toggle("credits-status--over", given > max);
    announce(fill(status.getAttribute("data-ok"), { given: given }));
  }

  var update = form.getAttribute("data-method") === "quadratic" ? updateQuadratic : updateApproval;
  form.addEventListener("input", update);
  form.addEventListener("change", update);
})();
