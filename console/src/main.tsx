// The console's entry point: the session from this tab's storage, the provider's answer or a
// mail's link (a password reset, an invitation) from the address (taken out of it at once), and the app.
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { SessionStore } from './session';
import { takeProviderReturn } from './sign-in/provider-return';
import { takeMailLink } from './sign-in/mail-link';
import './styles.css';

const store = new SessionStore(window.sessionStorage, window.localStorage);
const mailLink = takeMailLink(window.location, window.history);
const providerReturn = mailLink ? null : takeProviderReturn(window.location, window.history);
const root = document.getElementById('root');
if (!root) throw new Error('the page has no #root element');
createRoot(root).render(<App store={store} providerReturn={providerReturn} mailLink={mailLink} />);
