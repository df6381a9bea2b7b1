// The page is Dutch (Streamlit writes lang="en"), and a new answer is announced to screen readers:
// each assistant message becomes a polite live region, labelled in Dutch.
(() => {
  const root = window.parent?.document ?? document;
  root.documentElement.lang = "nl";
  if (root.kisObserver) return;
  const label = (node) => {
    for (const message of node.querySelectorAll?.('[aria-label^="Chat message from"]') ?? []) {
      const assistant = message.getAttribute("aria-label").endsWith("assistant");
      message.setAttribute("aria-label", assistant ? "Antwoord van de assistent" : "Jouw vraag");
      if (assistant) message.setAttribute("aria-live", "polite");
    }
  };
  root.kisObserver = new MutationObserver((changes) => changes.forEach((c) => label(c.target)));
  root.kisObserver.observe(root.body, { childList: true, subtree: true });
  label(root.body);
})();
