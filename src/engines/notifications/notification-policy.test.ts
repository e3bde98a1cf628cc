import { describe, expect, it } from 'vitest';
import { readWorkflowPolicy } from '../../../test/fixtures/workflow/policy-files.ts';
import { parseLifecyclePolicy } from '../workflow/lifecycle.ts';
import { checkNotificationCoverage, parseNotificationPolicy, planAudiences } from './notification-policy.ts';

const read = (f: string) => readWorkflowPolicy(f).text;
const policy = parseNotificationPolicy(read('notifications.yaml'), 'notifications.yaml');
const lifecycle = parseLifecyclePolicy(read('lifecycle.yaml'), 'lifecycle.yaml');

describe('notification policy', () => {
  it('gives every notify_* effect of the lifecycle an audience', () => {
    expect(() => checkNotificationCoverage(policy, lifecycle, 'notifications.yaml')).not.toThrow();
    const { notify_customs: _dropped, ...effects } = policy.effects;
    expect(() => checkNotificationCoverage({ ...policy, effects }, lifecycle, 'n.yaml')).toThrow(
      /effects\.notify_customs: missing: machines\.licence\.transitions\.0 \(active -> suspended\)/,
    );
  });

  it('plans each audience once, exporter first, with the actions of the effects that reach it', () => {
    const plan = planAudiences(policy, [
      'stop_processing_clock',
      'notify_member_states_and_commission',
      'notify_customs',
      'notify_exporter',
    ]);
    expect(plan.map((p) => p.audience)).toEqual(['exporter', 'case_officer']);
    expect(plan[1]!.effects).toEqual(['notify_member_states_and_commission', 'notify_customs']);
    expect(plan[1]!.actions).toHaveLength(2);
    expect(planAudiences(policy, ['issue_licence'])).toEqual([]);
  });

  it('refuses an unknown audience or effect name', () => {
    expect(() =>
      parseNotificationPolicy(
        read('notifications.yaml').replace('audience: exporter', 'audience: press'),
        'n.yaml',
      ),
    ).toThrow(/n\.yaml/);
    expect(() =>
      parseNotificationPolicy(
        read('notifications.yaml').replace('notify_customs:', 'tell_customs:'),
        'n.yaml',
      ),
    ).toThrow(/tell_customs/);
  });

  it('reads an action as one text for every language or a text per language, English required', () => {
    const text = read('notifications.yaml');
    const plain = parseNotificationPolicy(
      text.replace(
        /notify_customs: \{[^\n]*\}\n/,
        "notify_customs: { audience: case_officer, action: 'Tell customs.' }\n",
      ),
      'n.yaml',
    );
    expect(plain.effects.notify_customs!.action).toEqual({ en: 'Tell customs.' });
    expect(() =>
      parseNotificationPolicy(
        text.replace(
          /notify_customs: \{[^\n]*\}\n/,
          "notify_customs: { audience: case_officer, action: { fr: 'Douane.' } }\n",
        ),
        'n.yaml',
      ),
    ).toThrow(/notify_customs/);
    expect(() =>
      parseNotificationPolicy(
        text.replace(
          /notify_customs: \{[^\n]*\}\n/,
          "notify_customs: { audience: case_officer, action: { en: 'x', de: 'y' } }\n",
        ),
        'n.yaml',
      ),
    ).toThrow(/n\.yaml/);
  });
});
