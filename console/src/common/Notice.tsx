// A polite status line: what just happened ("Saved.", "You have signed out.").
import type { ReactNode } from 'react';
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="notice">
      {children}
    </p>
  );
}
