/** The slim header with the brand, used outside the meeting room. */
import { Logo } from '../components/Icons.js';
import { navigate } from '../router.js';

export function TopBar() {
  return (
    <header className="topbar">
      <a
        className="brand"
        href="/"
        onClick={(event) => {
          event.preventDefault();
          navigate('/');
        }}
      >
        <Logo />
        <span>Convene</span>
      </a>
    </header>
  );
}
