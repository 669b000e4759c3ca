// casecoach caseworker page: debounced checks against /api/v1/check, rendered with plain DOM calls.
(function () {
  "use strict";
  var DEBOUNCE_MS = 350;
  var STATUS_WORDS = { met: "Met", partial: "Partial", missing: "Missing", ask: "Ask" };
  var KIND_WORDS = { goal: "Service-plan goal", note: "Progress note", plan: "Whole service plan",
                     assessment: "Initial assessment", objective: "Case-plan objective" };
  var $ = function (id) { return document.getElementById(id); };
  var draft = $("draft"), kind = $("kind"), profile = $("profile");
  var timer = null, controller = null, sequence = 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function setStatus(text, isError) {
    var status = $("status");
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(check, DEBOUNCE_MS);
  }

  function check() {
    var text = draft.value;
    if (!text.trim()) { $("report").hidden = true; setStatus("Type or paste a draft to get feedback."); return; }
    if (controller) { controller.abort(); }  // only the newest draft's answer matters
    controller = new AbortController();
    var mine = ++sequence;
    setStatus("Checking…");
    fetch("api/v1/check", {
      method: "POST", signal: controller.signal,
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ text: text, kind: kind.value, profile: profile.value })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (mine !== sequence) { return; }
      if (!result.ok) { setStatus(result.body.detail || "The draft could not be checked.", true); return; }
      render(text, result.body);
    }).catch(function (err) {
      if (err.name !== "AbortError") { setStatus("The server did not answer; is casecoach still running?", true); }
    });
  }

  function render(text, report) {
    var counts = { met: 0, partial: 0, missing: 0, ask: 0 };
    report.criteria.forEach(function (c) { counts[c.status] += 1; });
    setStatus("Checked: " + counts.met + " met, " + counts.partial + " partial, " + counts.missing +
              " missing, " + counts.ask + " to ask about.");
    $("kind-label").textContent = (KIND_WORDS[report.kind] || report.kind) + (report.kind_detected ? " (detected)" : "");
    $("score").textContent = Math.round(report.score * 100) + "%";
    renderChecklist($("checklist"), report.criteria);
    renderParts(text, report.parts || []);
    renderHighlights(text, report);
    renderFeedback(report.feedback);
    $("hint").value = rewriteHint(report);
    $("report").hidden = false;
  }

  // A plan's goals, one checklist each, judged with the steps under them.
  function renderParts(text, parts) {
    var box = $("parts");
    box.textContent = "";
    parts.forEach(function (part, n) {
      var firstLine = text.slice(part.criteria.length ? partStart(part) : 0).split("\n")[0];
      var list = el("ul", { "class": "checklist", "data-part": String(n + 1) });
      renderChecklist(list, part.criteria);
      box.appendChild(el("h4", {}, ["Goal " + (n + 1) + " · " + Math.round(part.score * 100) + "%: " + firstLine.slice(0, 80)]));
      box.appendChild(list);
    });
  }

  function partStart(part) {
    var starts = [];
    part.criteria.forEach(function (c) { c.evidence.forEach(function (e) { starts.push(e.start); }); });
    return starts.length ? Math.min.apply(null, starts) : 0;
  }

  function renderChecklist(list, criteria) {
    list.textContent = "";
    criteria.forEach(function (c) {
      var detail = el("span", { "class": "detail" }, [c.message]);
      if (c.suggestion && c.status !== "met") { detail.appendChild(el("span", { "class": "suggestion" }, [c.suggestion])); }
      list.appendChild(el("li", { "data-criterion": c.id, "data-status": c.status }, [
        el("span", { "class": "badge " + c.status }, [STATUS_WORDS[c.status] || c.status]),
        el("span", { "class": "name" }, [c.name]), detail]));
    });
  }

  // Problems first, then evidence that does not overlap them: one mark per stretch of text.
  function marks(report) {
    var chosen = [];
    (report.parts || []).forEach(function (part) { chosen = chosen.concat(marks(part)); });
    var overlaps = function (m) { return chosen.some(function (o) { return m.start < o.end && o.start < m.end; }); };
    report.issues.forEach(function (i) {
      var tip = i.message + (i.replacements.length ? " Try: " + i.replacements.join(", ") + "." : "");
      var m = { start: i.start, end: i.end, cls: "problem", tip: tip, rule: i.rule };
      if (!overlaps(m)) { chosen.push(m); }
    });
    report.criteria.forEach(function (c) {
      if (c.status !== "met" && c.status !== "partial") { return; }
      c.evidence.forEach(function (e) {
        var partial = c.status === "partial";
        var tip = c.name + ": " + c.message + (partial && c.suggestion ? " " + c.suggestion : "");
        var m = { start: e.start, end: e.end, cls: partial ? "partial" : "evidence", tip: tip, rule: c.id };
        if (!overlaps(m)) { chosen.push(m); }
      });
    });
    return chosen.sort(function (a, b) { return a.start - b.start; });
  }

  function renderHighlights(text, report) {
    var box = $("highlighted"), at = 0;
    box.textContent = "";
    marks(report).forEach(function (m, n) {
      box.appendChild(document.createTextNode(text.slice(at, m.start)));
      var tipId = "tip-" + n;
      box.appendChild(el("mark", { "class": m.cls, tabindex: "0", "aria-describedby": tipId, "data-rule": m.rule }, [
        text.slice(m.start, m.end), el("span", { "class": "tip", role: "tooltip", id: tipId }, [m.tip])]));
      at = m.end;
    });
    box.appendChild(document.createTextNode(text.slice(at)));
  }

  function renderFeedback(feedback) {
    var box = $("feedback");
    box.textContent = "";
    box.appendChild(el("p", {}, [feedback.praise]));
    if (feedback.improvements.length) {
      box.appendChild(el("ul", {}, feedback.improvements.map(function (t) { return el("li", {}, [t]); })));
    }
    if (feedback.question) { box.appendChild(el("p", { "class": "question" }, [feedback.question])); }
  }

  // The most important improvement's concrete fix, in the draft's own words where the engine has them.
  function rewriteHint(report) {
    var first = report.feedback.improvements[0];
    if (!first) { return "Nothing to rewrite: every checklist item is met."; }
    var match = report.criteria.filter(function (c) { return c.suggestion && first.indexOf(c.message) === 0; })[0];
    return match ? match.suggestion : first;
  }

  function copyHint() {
    var hint = $("hint"), done = function () { $("copied").textContent = "Copied."; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(hint.value).then(done, function () { hint.select(); });
    } else {
      hint.select();
      try { if (document.execCommand("copy")) { done(); } } catch (e) { /* the text stays selected to copy by hand */ }
    }
  }

  // Keep a mark's tooltip inside the window on narrow screens and at high zoom.
  function placeTip(event) {
    var mark = event.target.closest && event.target.closest("mark");
    if (!mark) { return; }
    var tip = mark.querySelector(".tip");
    tip.style.left = "0px";
    var overflow = tip.getBoundingClientRect().right - document.documentElement.clientWidth + 8;
    if (overflow > 0) { tip.style.left = -Math.min(overflow, mark.getBoundingClientRect().left - 8) + "px"; }
  }

  $("highlighted").addEventListener("mouseover", placeTip);
  $("highlighted").addEventListener("focusin", placeTip);
  window.addEventListener("resize", function () { placeTip({ target: document.activeElement }); });
  draft.addEventListener("input", schedule);
  kind.addEventListener("change", check);
  profile.addEventListener("change", check);
  $("copy").addEventListener("click", copyHint);
  $("form").addEventListener("submit", function (e) { e.preventDefault(); check(); });
  if (draft.value.trim()) { check(); }
}());
