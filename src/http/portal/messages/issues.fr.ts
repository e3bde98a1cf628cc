/** Problèmes de saisie et motifs de refus : chaque clé de issues.en.ts. */
import type { issuesEn, reasonsEn } from './issues.en.ts';

export const issuesFr: Record<keyof typeof issuesEn, string> = {
  'issue.required': 'Ce champ est obligatoire',
  'issue.too_short': 'Saisissez au moins {minimum} caractères',
  'issue.too_long': 'Saisissez au plus {maximum} caractères',
  'issue.min_number': 'Saisissez un nombre supérieur ou égal à {minimum}',
  'issue.above_number': 'Saisissez un nombre supérieur à {minimum}',
  'issue.max_number': 'Saisissez un nombre inférieur ou égal à {maximum}',
  'issue.below_number': 'Saisissez un nombre inférieur à {maximum}',
  'issue.too_few': 'Choisissez-en au moins {minimum}',
  'issue.too_many': 'Choisissez-en au plus {maximum}',
  'issue.not_a_number': 'Saisissez un nombre',
  'issue.not_an_integer': 'Saisissez un nombre entier',
  'issue.wrong_type': 'Saisissez une valeur du type attendu ({expected})',
  'issue.not_one_of': 'Choisissez parmi : {options}',
  'issue.invalid_email': 'Saisissez une adresse électronique valide, par exemple nom@exemple.fr',
  'issue.invalid_url': 'Saisissez une adresse web commençant par https:// ou http://',
  'issue.invalid_id': "Cet identifiant n'est pas valide",
  'issue.invalid_date': 'Saisissez une date réelle au format AAAA-MM-JJ',
  'issue.invalid_datetime': 'Saisissez une date et une heure au format AAAA-MM-JJTHH:MM:SSZ',
  'issue.invalid_format': "Le format n'est pas celui attendu",
  'issue.not_multiple_of': 'Saisissez un multiple de {divisor}',
  'issue.unknown_fields': 'Champs inconnus : {keys}',
  'issue.country_code': 'Saisissez un code pays ISO à deux lettres majuscules, par exemple DE',
  'issue.currency_code': 'Saisissez un code de devise ISO 4217 à trois lettres, par exemple EUR',
  'issue.charter_article': "Choisissez un article de la Charte des droits fondamentaux de l'UE",
  'issue.add_item_line': "Ajoutez au moins une ligne d'article",
  'issue.name_end_user': "Indiquez l'utilisateur final",
  'issue.name_consignee': "Indiquez le destinataire d'une exportation physique",
  'issue.describe_end_use': "Décrivez l'utilisation finale prévue (au moins {minimum} caractères)",
  'issue.unknown_item': 'Choisissez un article de votre catalogue',
  'issue.unknown_party': 'Choisissez une partie de votre organisation',
  'issue.duplicate_party': 'Cette partie est déjà indiquée dans ce rôle',
};

export const reasonsFr: Record<keyof typeof reasonsEn, string> = {
  'reason.stale_version':
    'Quelqu’un d’autre a modifié cet enregistrement depuis l’ouverture de la page. Rechargez la page pour voir les modifications, puis réessayez.',
};
