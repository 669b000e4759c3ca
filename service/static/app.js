// casecoach caseworker page: debounced checks against /api/v1/check, marks drawn under the text as it is
// typed (a backdrop behind a transparent text area), replacements accepted with one click or Alt+Enter.
(function () {
  "use strict";
  var DEBOUNCE_MS = 150;  // checked this long after typing stops; the page updates well within 300 ms
  var STATUS_WORDS = { met: "Met", partial: "Partial", missing: "Missing", ask: "Ask" };
  var KIND_WORDS = { goal: "Service-plan goal", note: "Progress note", plan: "Whole service plan",
                     assessment: "Initial assessment", objective: "Case-plan objective" };
  // A suggested wording with a part to fill in is guidance, not text to paste in (as on the
  // LanguageTool endpoint): it is shown, not offered as a one-click replacement.
  var GUIDANCE = /[()\[\]…]|\.\.\./;
  var $ = function (id) { return document.getElementById(id); };
  var draft = $("draft"), kind = $("kind"), profile = $("profile"), backdrop = $("marks");
  var timer = null, controller = null, sequence = 0;
  var shown = { text: null, marks: [] };  // the marks drawn, and the text they were computed for
  var suggesting = null;  // the mark the suggestion box speaks of

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

  // The text area grows with its text, so it never scrolls inside and the backdrop's lines stay under it.
  function fit() {
    draft.style.height = "auto";
    draft.style.height = draft.scrollHeight + 2 + "px";
  }

  function typed() {
    performance.mark("casecoach:input");
    fit();
    // The marks belong to the text that was checked: while it changes they would point at the wrong words.
    drawMarks(draft.value, []);
    hideSuggestion();
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
      if (mine !== sequence || text !== draft.value) { return; }
      if (!result.ok) { setStatus(result.body.detail || "The draft could not be checked.", true); return; }
      render(text, result.body);
      performance.mark("casecoach:rendered");
    }).catch(function (err) {
      if (err.name !== "AbortError") { setStatus("The server did not answer; is casecoach still running?", true); }
    });
  }

  function render(text, report) {
    var counts = { met: 0, partial: 0, missing: 0, ask: 0 };
    report.criteria.forEach(function (c) { counts[c.status] += 1; });
    var marks = collectMarks(report);
    var problems = marks.filter(function (m) { return m.cls === "problem"; }).length;
    setStatus("Checked: " + counts.met + " met, " + counts.partial + " partial, " + counts.missing +
              " missing, " + counts.ask + " to ask about" +
              (problems ? "; " + problems + " marked word" + (problems > 1 ? "s" : "") +
               " to rethink (put the cursor on one; Alt+Enter takes its first replacement)." : "."));
    $("kind-label").textContent = (KIND_WORDS[report.kind] || report.kind) + (report.kind_detected ? " (detected)" : "");
    $("score").textContent = Math.round(report.score * 100) + "%";
    renderChecklist($("checklist"), report.criteria);
    renderParts(text, report.parts || []);
    drawMarks(text, marks);
    renderFeedback(report.feedback);
    $("report").hidden = false;
    suggestAtCaret();
  }

  // One line a criterion; what was found and how to fix it open on demand.
  function renderChecklist(list, criteria) {
    list.textContent = "";
    criteria.forEach(function (c) {
      var body = [el("span", {}, [c.message])];
      if (c.suggestion && c.status !== "met") { body.push(el("span", { "class": "suggestion" }, [c.suggestion])); }
      list.appendChild(el("li", { "data-criterion": c.id, "data-status": c.status }, [
        el("details", {}, [
          el("summary", {}, [el("span", { "class": "badge " + c.status }, [STATUS_WORDS[c.status] || c.status]), " ",
                             el("span", { "class": "name", title: c.name }, [c.name])]),
          el("p", { "class": "detail" }, body)])]));
    });
  }

  // A plan's goals, one compact checklist each, judged with the steps under them.
  function renderParts(text, parts) {
    var box = $("parts");
    box.textContent = "";
    parts.forEach(function (part, n) {
      var starts = [];
      part.criteria.forEach(function (c) { c.evidence.forEach(function (e) { starts.push(e.start); }); });
      var first = text.slice(starts.length ? Math.min.apply(null, starts) : 0).split("\n")[0];
      var list = el("ul", { "class": "checklist", "data-part": String(n + 1) });
      renderChecklist(list, part.criteria);
      box.appendChild(el("h4", {}, ["Goal " + (n + 1) + " · " + Math.round(part.score * 100) + "%: " + first.slice(0, 80)]));
      box.appendChild(list);
    });
  }

  // Problems first, then evidence that does not overlap them: one mark per stretch of text.
  function collectMarks(report) {
    var chosen = [];
    (report.parts || []).forEach(function (part) { chosen = chosen.concat(collectMarks(part)); });
    var overlaps = function (m) { return chosen.some(function (o) { return m.start < o.end && o.start < m.end; }); };
    report.issues.forEach(function (i) {
      var real = i.replacements.filter(function (r) { return !GUIDANCE.test(r); });
      var guidance = i.replacements.filter(function (r) { return GUIDANCE.test(r); });
      var m = { start: i.start, end: i.end, cls: "problem", rule: i.rule, message: i.message,
                replacements: real, guidance: guidance };
      if (!overlaps(m)) { chosen.push(m); }
    });
    report.criteria.forEach(function (c) {
      if (c.status !== "met" && c.status !== "partial") { return; }
      c.evidence.forEach(function (e) {
        var partial = c.status === "partial";
        var m = { start: e.start, end: e.end, cls: partial ? "partial" : "evidence", rule: c.id,
                  message: c.name + ": " + c.message + (partial && c.suggestion ? " " + c.suggestion : ""),
                  replacements: [], guidance: [] };
        if (!overlaps(m)) { chosen.push(m); }
      });
    });
    return chosen.sort(function (a, b) { return a.start - b.start; });
  }

  // The backdrop holds the same text as the text area, in the same font and wrapping, with the marks
  // as coloured backgrounds and underlines; the text area above it is transparent.
  function drawMarks(text, marks) {
    var at = 0;
    backdrop.textContent = "";
    marks.forEach(function (m) {
      backdrop.appendChild(document.createTextNode(text.slice(at, m.start)));
      backdrop.appendChild(el("mark", { "class": m.cls, "data-rule": m.rule }, [text.slice(m.start, m.end)]));
      at = m.end;
    });
    // A final newline would be swallowed by the backdrop and not by the text area: keep the two aligned.
    backdrop.appendChild(document.createTextNode(text.slice(at) + "\n"));
    shown = { text: text, marks: marks };
    syncScroll();
  }

  function syncScroll() {
    backdrop.scrollTop = draft.scrollTop;
    backdrop.scrollLeft = draft.scrollLeft;
  }

  function markAtCaret() {
    if (shown.text !== draft.value) { return null; }
    var at = draft.selectionStart;
    return shown.marks.filter(function (m) { return m.start <= at && at <= m.end && m.cls !== "evidence"; })[0] || null;
  }

  // What the mark under the cursor says, with its replacements as buttons.
  function suggestAtCaret() {
    var m = markAtCaret(), box = $("suggest");
    if (!m) { hideSuggestion(); return; }
    if (m === suggesting && !box.hidden) { return; }  // already shown: keep its buttons (and focus)
    suggesting = m;
    box.textContent = "";
    box.appendChild(el("p", {}, ["“" + draft.value.slice(m.start, m.end) + "”: " + m.message]));
    m.guidance.forEach(function (g) { box.appendChild(el("p", { "class": "help" }, ["Try: " + g])); });
    m.replacements.forEach(function (r) {
      var button = el("button", { type: "button", "class": "replacement" }, [r]);
      button.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep the cursor in the text
      button.addEventListener("click", function () { accept(m, r); });
      box.appendChild(button);
    });
    box.hidden = false;
  }

  function hideSuggestion() { $("suggest").hidden = true; suggesting = null; }

  function accept(m, replacement) {
    var text = draft.value;
    draft.value = text.slice(0, m.start) + replacement + text.slice(m.end);
    var caret = m.start + replacement.length;
    draft.focus();
    draft.setSelectionRange(caret, caret);
    typed();
  }

  function onKey(event) {
    if (event.altKey && event.key === "Enter") {
      var m = markAtCaret();
      if (m && m.replacements.length) { event.preventDefault(); accept(m, m.replacements[0]); }
    } else if (event.key === "Escape") {
      hideSuggestion();
    }
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

  draft.addEventListener("input", typed);
  draft.addEventListener("scroll", syncScroll);
  draft.addEventListener("keydown", onKey);
  ["keyup", "click", "select"].forEach(function (name) { draft.addEventListener(name, suggestAtCaret); });
  window.addEventListener("resize", syncScroll);
  kind.addEventListener("change", check);
  profile.addEventListener("change", check);
  $("form").addEventListener("submit", function (e) { e.preventDefault(); check(); });
  fit();
  if (draft.value.trim()) { check(); }
}());
