// The notices' live event, without TypeBox: the phone home and 通知 listen for it, and a phone page
// that needs only its name does not download the schema library.

/**
 * Live-update event on GET /api/events: `event: notice.delivered`, data NoticeDelivered. Streamed only
 * to the people a notice has just reached, once it is in their inbox (nobody learns of another's
 * notices): their 通知 list and the home's 通知 figure are asked again.
 */
export const NOTICE_DELIVERED_EVENT = 'notice.delivered';
export type NoticeDelivered = { id: string };
