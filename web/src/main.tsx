import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { installDebugHook } from './debug.js';
import './styles/base.css';
import './styles/home.css';
import './styles/prejoin.css';
import './styles/room.css';
import './styles/panel.css';
import './styles/controls.css';
import './styles/responsive.css';

installDebugHook();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
