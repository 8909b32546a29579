import './styles.css';
import { ComparePage } from './views/compare';
import { Dashboard } from './views/dashboard';
import { EmbedPage } from './views/embed';
import { RecordingsPage } from './views/recordings';

const root =
  document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
// One bundle, four pages: the server renders the same shell for /, /recordings, /embed/{id} and
// /compare.
const path = location.pathname.replace(/\/+$/, '');
if (path === '/recordings' && !window.__threadlineOffline) void new RecordingsPage(root).init();
else if (path === '/compare' && !window.__threadlineOffline) void new ComparePage(root).init();
else if (path.startsWith('/embed/') || window.__threadlineOffline) void new EmbedPage(root).init();
else void new Dashboard(root).init();
