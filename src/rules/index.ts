/** The pure core: deadlines, folding emails into applications, and judging them. */
export { ISSUE_CODES, type IssueCode } from './issue-codes';
export { deadlineStatus, deadlineEnd, endOfDay, type DeadlineName } from './deadline';
export { newApplication, foldEmail, foldInArrivalOrder, companyKeyOf, type FoldInput } from './fold';
export { judge, judgeAll } from './judge';
export { asStaffSee, correctablePath, setAsideWaived, waives } from './staff-overlay';
export { FIELD_LABELS, fieldLabel } from './labels';
export { standingForms, distinctProducts, productKeys } from './products';
export { zonedDate, zonedInstant, chineseDate, chineseDateTime, addDays } from './zoned-time';
export { attribute, applicationProducts, productKey, productOfDocuments, type AppProduct, type Attribution } from './attribution';
export { severityOf, WARNING_CODES, type Severity } from './issue-codes';
