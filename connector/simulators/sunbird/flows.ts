/**
 * The conversation flows Sunbird UCI bots run in the simulator: each step is one question the bot
 * asks (its title is what the marts call the intent of the step), answered by picking an option or
 * by free text. The catalogue is small on purpose; what matters is that it carries the shapes the
 * connector and the marts must handle:
 * - openers and closers whose titles are in dbt's `not_meaningful_intent_names`, so
 *   first_meaningful_intent differs from first_intent;
 * - descriptions and free-text replies holding `"` and newlines (Spark writes them as `\"` and
 *   literal newlines inside a quoted cell);
 * - option lists that become JSON text in Question Options / Question Response.
 * No text here contains a backslash: the files' only backslashes are Spark's `\"` escapes.
 */

export type SunbirdQuestionType = 'SINGLE_SELECT' | 'TEXT';

export interface SunbirdStep {
  title: string;
  type: SunbirdQuestionType;
  /** The prompt as sent to the user. */
  description: string;
  /** SINGLE_SELECT: the option labels, numbered from 1 in the JSON. */
  options?: readonly string[];
  /** TEXT: replies users type. */
  replies?: readonly string[];
}

export interface SunbirdFlow {
  name: string;
  steps: readonly SunbirdStep[];
}

/** dbt's var not_meaningful_intent_names (transformations/dbt_project.yml); a unit test keeps them equal. */
export const SUNBIRD_NOT_MEANINGFUL_INTENTS: readonly string[] = ['Greeting', 'Talk to a human/agent', 'Default Welcome', 'Thank you', 'Goodbye'];

const select = (title: string, description: string, options: readonly string[]): SunbirdStep => ({
  title,
  type: 'SINGLE_SELECT',
  description: `${description}\n${options.map((o, i) => `${i + 1} ${o}`).join('\n')}`,
  options,
});
const text = (title: string, description: string, replies: readonly string[]): SunbirdStep => ({ title, type: 'TEXT', description, replies });

/** What a conversation may open with before its flow (or nothing). */
export const SUNBIRD_OPENERS: readonly SunbirdStep[] = [
  select('Greeting', 'Namaste! Welcome.\nReply with a number:', ['Start', 'Change language']),
  text('Default Welcome', 'Hi! Type anything to begin.', ['hi', 'hello', 'start', 'Hi "bot"\nare you there?']),
];

/** At most 7 steps each, so a conversation (opener + flow) has at most 8 answers. */
export const SUNBIRD_FLOWS: readonly SunbirdFlow[] = [
  {
    name: 'Crop advisory',
    steps: [
      select('Select language', 'Choose a language:', ['English', 'Hindi', 'Kannada']),
      select('Choose your crop', 'Which crop is this about?', ['Rice', 'Wheat', 'Cotton', 'Ragi']),
      text('Describe the problem', 'Tell us what you see.\nType "skip" to go back.', [
        'leaves turning yellow',
        'My crop has "white spots"\non the leaves',
        'insects on the stem',
        'no rain for 3 weeks, what to do?',
        'The "urea" dose\nis it enough?',
      ]),
      select('Was this advice helpful?', 'Was this advice helpful?', ['Yes', 'No']),
      select('Thank you', 'Thank you for using the advisory!\nReply "1" for the main menu.', ['Main menu', 'Exit']),
    ],
  },
  {
    name: 'Scholarship status',
    steps: [
      text('Enter your application number', 'Please type your application number.', ['APP-2026-00417', 'app 2026 1180', 'I lost it', 'my number is "2026-0093"\nplease check']),
      select('Confirm your district', 'Which district did you apply from?', ['Bengaluru Urban', 'Mysuru', 'Dharwad', 'Other']),
      select('Talk to a human/agent', 'Would you like to talk to a human agent?', ['Yes', 'No']),
      select('Goodbye', 'Goodbye! Your request is noted.', ['OK']),
    ],
  },
  {
    name: 'Fractions quiz',
    steps: [
      select('What is 1/2 + 1/4?', 'Question 1 of 6.\nWhat is 1/2 + 1/4?', ['3/4', '2/6', '1/8']),
      select('Which is larger: 2/3 or 3/5?', 'Question 2 of 6.\nWhich is larger?', ['2/3', '3/5', 'Equal']),
      select('Simplify 6/8', 'Question 3 of 6.\nSimplify 6/8:', ['3/4', '6/8', '2/3']),
      select('What is 3/4 - 1/4?', 'Question 4 of 6.\nWhat is 3/4 - 1/4?', ['1/2', '1/4', '2/4']),
      select('Which equals 0.5?', 'Question 5 of 6.\nWhich equals 0.5?', ['1/2', '5/10', 'Both']),
      text('Write 1/4 as a decimal', 'Question 6 of 6.\nType 1/4 as a decimal, e.g. "0.1".', ['0.25', '.25', '1.4', 'zero point "two five"\nI think']),
      select('Thank you', 'Thank you for playing!', ['OK']),
    ],
  },
  {
    name: 'Session feedback',
    steps: [
      select('Rate the session', 'How was today\'s session?', ['Poor', 'Okay', 'Good', 'Very good', 'Excellent']),
      text('What did you like most?', 'What did you like most?', ['the videos', 'The "practice" questions\nwere useful', 'nothing', 'teacher explained well']),
      text('Any other comments?', 'Any other comments? Type "no" to finish.', ['no', 'please add more "Kannada" content', 'Send the worksheet\nagain please']),
      select('Goodbye', 'Goodbye, see you next week!', ['OK']),
    ],
  },
  {
    name: 'Vaccination reminder',
    steps: [
      select('Child age group', 'How old is your child?', ['0-1 year', '1-2 years', '2-5 years']),
      text('Enter your pincode', 'Please type your 6-digit pincode.', ['560001', '570 020', 'dont know', 'pin "560034"\nBengaluru']),
      select('Send reminders on WhatsApp?', 'Shall we send reminders on WhatsApp?', ['Yes', 'No']),
      select('Talk to a human/agent', 'Would you like to talk to a health worker?', ['Yes', 'No']),
      select('Thank you', 'Thank you! Stay healthy.', ['OK']),
    ],
  },
];

/** A reply to a select question that matches no option: scored 0 (not understood). */
export const SUNBIRD_UNMATCHED_REPLIES: readonly string[] = ['hmm', 'what?', 'kal batata hoon', 'ok', '??', 'I said "yes"\nalready'];
/** A free-text reply the bot could not use: scored 0. */
export const SUNBIRD_GIBBERISH: readonly string[] = ['asdf', '...', 'kkkk'];

/** Names a bot may have (Conversation Name). */
export const SUNBIRD_BOT_NAMES: readonly string[] = ['Krishi Mitra', 'Shiksha Sahayak', 'Vidya Quiz', 'Swasthya Saathi', 'Feedback Bot', 'Poshan Helper'];
