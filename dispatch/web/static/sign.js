"use strict";
const pad = document.getElementById("pad"), pen = pad.getContext("2d");
let drawing = false, drawn = false;
pen.lineWidth = 3; pen.lineCap = "round"; pen.strokeStyle = "#102a43";
function at(event) {
  const box = pad.getBoundingClientRect();
  return [(event.clientX - box.left) * pad.width / box.width,
          (event.clientY - box.top) * pad.height / box.height];
}
pad.addEventListener("pointerdown", e => { drawing = true; pen.beginPath(); pen.moveTo(...at(e)); });
pad.addEventListener("pointermove", e => {
  if (!drawing) return;
  pen.lineTo(...at(e)); pen.stroke(); drawn = true;
});
window.addEventListener("pointerup", () => { drawing = false; });
document.getElementById("clear").addEventListener("click", () => {
  pen.clearRect(0, 0, pad.width, pad.height); drawn = false;
});
document.getElementById("sign-form").addEventListener("submit", event => {
  if (!drawn) { event.preventDefault(); return; }
  document.getElementById("image").value = pad.toDataURL("image/png");
});
