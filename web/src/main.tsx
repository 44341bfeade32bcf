import { createRoot } from 'react-dom/client';
import { loadAccount } from './account.js';
import { App } from './App.js';
import { installDebugHook } from './debug.js';
import './styles/base.css';
import './styles/home.css';
import './styles/prejoin.css';
import './styles/room.css';
import './styles/panel.css';
import './styles/controls.css';
import './styles/account.css';
import './styles/host.css';
import './styles/operator.css';
import './styles/responsive.css';

installDebugHook();
void loadAccount();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
