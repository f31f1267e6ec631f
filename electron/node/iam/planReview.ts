// plan.md → its AWS side, with the catalog and tier policies loaded (for `elevate handoff` and the
// window's plan view; the pure part is shared/iam/planReview.ts).
import { planActionNames, planAwsReview, type PlanAwsReview } from '../../../shared/iam/planReview';
import { TIER_POLICIES } from '../../../shared/iam/tierPolicies';
import { loadCatalog } from './catalog';

export function reviewPlan(planText: string): PlanAwsReview {
  return planAwsReview(planText, loadCatalog(planActionNames(planText)), TIER_POLICIES);
}
