import { gql } from "graphql-request";
import { HOUR_MS } from "../../src/common/clock";
import { createWorld, errorCodeOf, errorsOf, startTestApp, tableCounts, TestApp, World } from "../support/test-app";

const SETTINGS_FIELDS = gql`
  fragment S on IntakeSettings {
    survey {
      postServiceDelayHours
      reminderAfterDays
      expiryDays
    }
    verification {
      extremeSampleRate
      verifyWithinHours
      lowScoreAtMost
      onTimeResponseHours
    }
    sla {
      tier1 {
        respondMinutes
        planHours
        closeHours
      }
      tier2 {
        respondMinutes
        planHours
        closeHours
      }
      escalateToManagerAfterMinutes
    }
  }
`;

const READ = gql`
  query {
    intakeSettings {
      ...S
    }
  }
  ${SETTINGS_FIELDS}
`;

const UPDATE = gql`
  mutation ($input: UpdateIntakeSettingsInput!) {
    updateIntakeSettings(input: $input) {
      ...S
    }
  }
  ${SETTINGS_FIELDS}
`;

const DEFAULTS = {
  survey: { postServiceDelayHours: 24, reminderAfterDays: 3, expiryDays: 7 },
  verification: { extremeSampleRate: 0.2, verifyWithinHours: 24, lowScoreAtMost: 2, onTimeResponseHours: 4 },
  sla: {
    tier1: { respondMinutes: 60, planHours: 24, closeHours: 72 },
    tier2: { respondMinutes: 60, planHours: 24, closeHours: 72 },
    escalateToManagerAfterMinutes: 60,
  },
};

describe("intake settings", () => {
  let app: TestApp;
  let world: World;

  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app);
  });
  afterAll(() => app.stop());

  const read = async () => (await world.quality.client.request<{ intakeSettings: any }>(READ)).intakeSettings;

  it("shows the defaults to quality specialists, operations managers and admins", async () => {
    expect(await read()).toEqual(DEFAULTS);
    for (const person of [world.manager, world.admin]) {
      expect((await person.client.request<{ intakeSettings: any }>(READ)).intakeSettings).toEqual(DEFAULTS);
    }
    for (const person of [world.agent, world.serviceLead]) expect(await errorCodeOf(person.client.request(READ))).toBe("FORBIDDEN");
  });

  it("changes only the values given and keeps them", async () => {
    const { updateIntakeSettings } = await world.manager.client.request<any>(UPDATE, {
      input: { verification: { extremeSampleRate: 0.5, onTimeResponseHours: 2.5 }, sla: { tier1: { respondMinutes: 30 } } },
    });
    const expected = {
      ...DEFAULTS,
      verification: { ...DEFAULTS.verification, extremeSampleRate: 0.5, onTimeResponseHours: 2.5 },
      sla: { ...DEFAULTS.sla, tier1: { ...DEFAULTS.sla.tier1, respondMinutes: 30 } },
    };
    expect(updateIntakeSettings).toEqual(expected);
    expect(await read()).toEqual(expected);
    await world.admin.client.request(UPDATE, { input: { survey: { expiryDays: 10 } } });
    expect(await read()).toEqual({ ...expected, survey: { ...DEFAULTS.survey, expiryDays: 10 } });
  });

  it.each([
    [{ verification: { extremeSampleRate: 1.5 } }, "input.verification.extremeSampleRate"],
    [{ verification: { extremeSampleRate: -0.1 } }, "input.verification.extremeSampleRate"],
    [{ verification: { verifyWithinHours: 0 } }, "input.verification.verifyWithinHours"],
    [{ verification: { lowScoreAtMost: 5 } }, "input.verification.lowScoreAtMost"],
    [{ verification: { onTimeResponseHours: 0 } }, "input.verification.onTimeResponseHours"],
    [{ survey: { postServiceDelayHours: 200 } }, "input.survey.postServiceDelayHours"],
    [{ survey: { reminderAfterDays: 10 } }, "input.survey.reminderAfterDays"],
    [{ survey: { expiryDays: 2 } }, "input.survey.expiryDays"],
    [{ sla: { tier1: { planHours: 100 } } }, "input.sla.tier1.planHours"],
    [{ sla: { tier2: { respondMinutes: 2000 } } }, "input.sla.tier2.respondMinutes"],
    [{ sla: { tier2: { closeHours: 0 } } }, "input.sla.tier2.closeHours"],
    [{ sla: { escalateToManagerAfterMinutes: 0 } }, "input.sla.escalateToManagerAfterMinutes"],
    [{ verification: { extremeSampleRate: 0.1 }, sla: { tier1: { closeHours: 10 } } }, "input.sla.tier1.closeHours"],
  ])("refuses %j, naming %s, and changes nothing", async (input, field) => {
    const before = await read();
    const counts = await tableCounts(app.dataSource);
    const [error] = await errorsOf(world.manager.client.request(UPDATE, { input }));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await read()).toEqual(before);
    expect(await tableCounts(app.dataSource)).toEqual(counts);
  });

  it("lets only operations managers and admins change settings", async () => {
    for (const person of [world.quality, world.agent, world.serviceLead]) {
      expect(await errorCodeOf(person.client.request(UPDATE, { input: { verification: { verifyWithinHours: 12 } } }))).toBe(
        "FORBIDDEN",
      );
    }
  });

  it("puts new settings into effect: the verification deadline follows verifyWithinHours", async () => {
    await world.manager.client.request(UPDATE, { input: { verification: { verifyWithinHours: 2 } } });
    const { createCustomer } = await world.agent.client.request<any>(gql`
      mutation {
        createCustomer(input: { name: "陈先生" }) {
          id
        }
      }
    `);
    const { recordFeedback } = await world.agent.client.request<any>(
      gql`
        mutation ($customerId: ID!) {
          recordFeedback(input: { customerId: $customerId, channel: SMS, scores: [{ dimension: "resolution", score: 1 }] }) {
            verificationDueAt
          }
        }
      `,
      { customerId: createCustomer.id },
    );
    expect(recordFeedback.verificationDueAt).toBe(new Date(app.clock.now().getTime() + 2 * HOUR_MS).toISOString());
  });
});
