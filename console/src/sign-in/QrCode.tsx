// A QR code of a text, drawn as one SVG path from the `qrcode` package's module matrix: no image
// URL, no canvas, so the page's CSP needs no `data:` and the code stays sharp at any zoom.
import { create } from 'qrcode';
import { useMemo } from 'react';

/** The quiet zone the QR standard asks for around the code, in modules. */
const MARGIN = 4;

export function QrCode({ text, label }: { text: string; label: string }) {
  const { size, path } = useMemo(() => qrPath(text), [text]);
  const box = size + 2 * MARGIN;
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${box} ${box}`}
      width={box * 5}
      height={box * 5}
      shapeRendering="crispEdges"
    >
      <rect width={box} height={box} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

function qrPath(text: string): { size: number; path: string } {
  const { size, data } = create(text, { errorCorrectionLevel: 'M' }).modules;
  let path = '';
  for (let row = 0; row < size; row += 1) {
    for (let column = 0; column < size; column += 1) {
      if (data[row * size + column]) path += `M${column + MARGIN} ${row + MARGIN}h1v1h-1z`;
    }
  }
  return { size, path };
}
