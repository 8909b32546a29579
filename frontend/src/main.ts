import './styles.css';
import { Dashboard } from './views/dashboard';

const root =
  document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
void new Dashboard(root).init();
