/** The JSON the dashboard API returns: the server's own types, imported as types only (nothing of the
 *  server is bundled). */
export type { StudySummary, DashboardTrial } from '../../src/dashboard/study-summary';
export type { StudyDetail } from '../../src/dashboard/dashboard-api';
export type { ParameterImportance } from '../../src/dashboard/parameter-importance';
