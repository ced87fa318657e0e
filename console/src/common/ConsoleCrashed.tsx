// The last resort: a failure while drawing a screen shows a message and a way back, never a
// blank page.
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

export class ConsoleCrashed extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('the console failed to draw a screen', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <main className="page">
        <div role="alert" className="alert">
          <h2>The console stopped working</h2>
          <p>Something went wrong while drawing this screen: {this.state.error.message}</p>
          <button type="button" onClick={() => window.location.reload()}>
            Reload the console
          </button>
        </div>
      </main>
    );
  }
}
