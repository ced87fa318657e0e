// The console's entry point: the session from this tab's storage, the provider's answer or a
// password reset link from the address (taken out of it at once), and the app.
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { SessionStore } from './session';
import { takeProviderReturn } from './sign-in/provider-return';
import { takeResetLink } from './sign-in/reset-link';
import './styles.css';

const store = new SessionStore(window.sessionStorage, window.localStorage);
const resetLink = takeResetLink(window.location, window.history);
const providerReturn = resetLink ? null : takeProviderReturn(window.location, window.history);
const root = document.getElementById('root');
if (!root) throw new Error('the page has no #root element');
createRoot(root).render(<App store={store} providerReturn={providerReturn} resetLink={resetLink} />);
