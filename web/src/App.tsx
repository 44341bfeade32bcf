/** Routes (see router.ts). */
import { useEffect } from 'react';
import { AuthPage } from './pages/AuthPage.js';
import { Home } from './pages/Home.js';
import { MeetingForm } from './pages/MeetingForm.js';
import { MeetingPage } from './pages/MeetingPage.js';
import { MyMeetings } from './pages/MyMeetings.js';
import { StatusScreen } from './pages/StatusScreen.js';
import { OperatorApp } from './operator/OperatorApp.js';
import { PublicCaseList, PublicCasePage } from './transparency/PublicCasePage.js';
import { navigate, useRoute, type Route } from './router.js';

const TITLES: Partial<Record<Route['name'], string>> = {
  meeting: 'Meeting · Convene',
  signin: 'Sign in · Convene',
  signup: 'Sign up · Convene',
  meetings: 'My meetings · Convene',
  newMeeting: 'Schedule a meeting · Convene',
  editMeeting: 'Edit meeting · Convene',
  operator: 'Operator console · Convene',
  transparency: 'Transparency · Convene',
  publicCase: 'Public notice · Convene',
};

export function App() {
  const { route, search } = useRoute();
  useEffect(() => {
    document.title = TITLES[route.name] ?? 'Convene';
  }, [route.name]);
  switch (route.name) {
    case 'home':
      return <Home />;
    case 'signin':
    case 'signup':
      return <AuthPage key={route.name} mode={route.name} search={search} />;
    case 'meetings':
      return <MyMeetings />;
    case 'newMeeting':
      return <MeetingForm key="new" />;
    case 'editMeeting':
      return <MeetingForm key={route.meetingId} meetingId={route.meetingId} />;
    case 'meeting':
      // Keyed by id: another meeting gets a fresh page (and fresh media objects).
      return <MeetingPage key={route.meetingId} meetingId={route.meetingId} search={search} />;
    case 'operator':
      return <OperatorApp page={route.page} />;
    case 'transparency':
      return <PublicCaseList />;
    case 'publicCase':
      return <PublicCasePage key={route.ref} caseRef={route.ref} />;
    default:
      return (
        <StatusScreen
          state="error"
          title="Page not found"
          message="This address is not a Convene page or meeting link."
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
