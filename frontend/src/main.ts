import './styles.css';
import { Dashboard } from './views/dashboard';
import { RecordingsPage } from './views/recordings';

const root =
  document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
// One bundle, two pages: the server renders the same shell for / and /recordings.
if (location.pathname.replace(/\/+$/, '') === '/recordings') void new RecordingsPage(root).init();
else void new Dashboard(root).init();
