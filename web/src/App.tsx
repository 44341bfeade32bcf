/** Routes: `/` home, `/m/<id>` a meeting. */
import { useEffect } from 'react';
import { Home } from './pages/Home.js';
import { MeetingPage } from './pages/MeetingPage.js';
import { StatusScreen } from './pages/StatusScreen.js';
import { navigate, useRoute } from './router.js';

export function App() {
  const { route, search } = useRoute();
  useEffect(() => {
    document.title = route.name === 'meeting' ? 'Meeting · Convene' : 'Convene';
  }, [route]);
  switch (route.name) {
    case 'home':
      return <Home />;
    case 'meeting':
      // Keyed by id: another meeting gets a fresh page (and fresh media objects).
      return <MeetingPage key={route.meetingId} meetingId={route.meetingId} search={search} />;
    default:
      return (
        <StatusScreen
          state="error"
          title="Page not found"
          message="This address is not a Convene meeting link."
          actions={[
            {
              label: 'Return to home screen',
              primary: true,
              onClick: () => navigate('/'),
              testId: 'go-home',
            },
          ]}
        />
      );
  }
}
