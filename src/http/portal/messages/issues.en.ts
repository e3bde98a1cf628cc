/**
 * Field issues (src/domain/errors.ts, ISSUE_CODES) as the portal says them, spread into the English catalogue. Every
 * code has a message (the type says so); an issue without a code keeps the service's English wording.
 */
import type { IssueCode, ReasonCode } from '../../../domain/errors.ts';

export const issuesEn: Record<`issue.${IssueCode}`, string> = {
  'issue.required': 'This field is required',
  'issue.too_short': 'Enter at least {minimum} characters',
  'issue.too_long': 'Enter at most {maximum} characters',
  'issue.min_number': 'Enter a number of at least {minimum}',
  'issue.above_number': 'Enter a number greater than {minimum}',
  'issue.max_number': 'Enter a number of at most {maximum}',
  'issue.below_number': 'Enter a number less than {maximum}',
  'issue.too_few': 'Choose at least {minimum}',
  'issue.too_many': 'Choose at most {maximum}',
  'issue.not_a_number': 'Enter a number',
  'issue.not_an_integer': 'Enter a whole number',
  'issue.wrong_type': 'Enter a value of the expected kind ({expected})',
  'issue.not_one_of': 'Choose one of: {options}',
  'issue.invalid_email': 'Enter an email address in the correct format, like name@example.org',
  'issue.invalid_url': 'Enter a web address starting with https:// or http://',
  'issue.invalid_id': 'This identifier is not valid',
  'issue.invalid_date': 'Enter a real date in the form YYYY-MM-DD',
  'issue.invalid_datetime': 'Enter a date and time in the form YYYY-MM-DDTHH:MM:SSZ',
  'issue.invalid_format': 'This is not in the expected format',
  'issue.not_multiple_of': 'Enter a multiple of {divisor}',
  'issue.unknown_fields': 'Unknown fields: {keys}',
  'issue.country_code': 'Enter a two-letter ISO country code in capitals, like DE',
  'issue.currency_code': 'Enter a three-letter ISO 4217 currency code, like EUR',
  'issue.charter_article': 'Choose an article of the EU Charter of Fundamental Rights',
  'issue.add_item_line': 'Add at least one item line',
  'issue.name_end_user': 'Name the end user',
  'issue.name_consignee': 'Name the consignee of a physical export',
  'issue.describe_end_use': 'Describe the intended end use (at least {minimum} characters)',
  'issue.unknown_item': 'Choose an item of your catalogue',
  'issue.unknown_party': 'Choose a party of your organisation',
  'issue.duplicate_party': 'This party is already named in this role',
};

/** Refusals of a known kind (REASON_CODES), likewise. */
export const reasonsEn: Record<`reason.${ReasonCode}`, string> = {
  'reason.stale_version':
    'Someone else changed this record since you opened the page. Reload the page to see the changes, then try again.',
};
