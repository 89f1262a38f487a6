// Inside Telegram, the Mini App's signed initData comes in the address's
// fragment (tgWebAppData); posting it signs the user in. Elsewhere this
// does nothing. No third-party script is loaded.
(function () {
  "use strict";
  var form = document.getElementById("tg-signin");
  if (form) {
    var data = new URLSearchParams(location.hash.slice(1)).get("tgWebAppData");
    if (data) {
      form.elements["init_data"].value = data;
      document.getElementById("tg-wait").classList.remove("hidden");
      form.submit();
    }
  }
  // The report's print button: shown only where a script runs.
  var print = document.getElementById("print");
  if (print && window.print) {
    print.classList.remove("hidden");
    print.addEventListener("click", function () { window.print(); });
  }
})();
