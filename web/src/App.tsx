/** Routes (see router.ts). */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
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
  meeting: 'titles.meeting',
  signin: 'titles.signin',
  signup: 'titles.signup',
  meetings: 'titles.meetings',
  newMeeting: 'titles.newMeeting',
  editMeeting: 'titles.editMeeting',
  operator: 'titles.operator',
  transparency: 'titles.transparency',
  publicCase: 'titles.publicCase',
};

export function App() {
  const { route, search } = useRoute();
  const { t, i18n } = useTranslation();
  const pageKey = TITLES[route.name];
  useEffect(() => {
    document.title = pageKey ? t('titles.page', { page: t(pageKey) }) : t('titles.app');
  }, [pageKey, t, i18n.language]);
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
          title={t('notFound.title')}
          message={t('notFound.message')}
          actions={[
            {
              label: t('common.goHome'),
              primary: true,
              onClick: () => navigate('/'),
              testId: 'go-home',
            },
          ]}
        />
      );
  }
}
