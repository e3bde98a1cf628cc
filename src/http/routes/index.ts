/** Every route module, in registration order. Add a capability's routes here. */
import { applicationRoutes } from './applications.routes.ts';
import { assessmentRoutes } from './assessment.routes.ts';
import { auditRoutes } from './audit.routes.ts';
import { authRoutes } from './auth.routes.ts';
import { caseworkRoutes } from './casework.routes.ts';
import { catalogueRoutes } from './catalogue.routes.ts';
import { classificationRoutes } from './classification.routes.ts';
import { healthRoutes } from './health.routes.ts';
import { notificationRoutes } from './notifications.routes.ts';
import { portalRoutes } from '../portal/portal.routes.ts';
import { organisationRoutes } from './organisations.routes.ts';
import { publicationRoutes } from './publication.routes.ts';
import { screeningRoutes } from './screening.routes.ts';
import { screeningRunRoutes } from './screening-runs.routes.ts';
import type { RouteModule } from './types.ts';
import { watchlistRoutes } from './watchlists.routes.ts';
import { denialRoutes } from './denials.routes.ts';
import { catchAllRoutes } from './catch-all.routes.ts';
import { dueDiligenceRoutes } from './due-diligence.routes.ts';
import { recordsRoutes } from './records.routes.ts';
import { evidenceRoutes } from './evidence.routes.ts';
import { storedAssessmentRoutes } from './stored-assessments.routes.ts';

export const ROUTES: RouteModule[] = [
  healthRoutes,
  authRoutes,
  organisationRoutes,
  catalogueRoutes,
  applicationRoutes,
  auditRoutes,
  classificationRoutes,
  watchlistRoutes,
  screeningRoutes,
  assessmentRoutes,
  screeningRunRoutes,
  denialRoutes,
  catchAllRoutes,
  dueDiligenceRoutes,
  recordsRoutes,
  notificationRoutes,
  caseworkRoutes,
  evidenceRoutes,
  storedAssessmentRoutes,
  publicationRoutes,
  portalRoutes,
];
