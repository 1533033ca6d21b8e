// Reveal one blurred image per click; a second click hides it again.
document.addEventListener('click', (ev) => {
  const button = ev.target.closest('button.reveal');
  if (!button) return;
  const img = document.querySelector(`img.guarded[data-evidence="${button.dataset.target}"]`);
  if (!img) return;
  const shown = img.classList.toggle('revealed');
  button.setAttribute('aria-pressed', String(shown));
  button.textContent = shown ? 'Hide this image' : 'Reveal this image';
});
