// The heading of a screen. When the screen changes, focus moves to it, so keyboard and screen
// reader users start reading the new screen from its top; the first screen of a visit does not
// take the focus (the page starts there anyway).
import { useEffect, useRef, type ReactNode } from 'react';

let firstScreen = true;

export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (firstScreen) firstScreen = false;
    else ref.current?.focus();
  }, []);
  return (
    <h2 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h2>
  );
}
