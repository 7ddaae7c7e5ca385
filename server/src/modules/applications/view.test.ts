import { describe, expect, it } from 'vitest';
import { CHINA_HOLIDAYS, workCalendar } from '@kx/data';
import { remainingText } from './view.ts';

const cal = workCalendar(CHINA_HOLIDAYS);

describe('the remaining time of a step, as the applicant and the reviewer read it', () => {
  it.each([
    ['2025-10-09', '2025-10-13', '剩余 3 个工作日'], // Thursday → Monday across the 调休 Saturday
    ['2025-10-13', '2025-10-13', '今日到期'],
    ['2025-10-15', '2025-10-13', '已超期 2 个工作日'],
    // Deadline Friday 2025-09-26, read on Saturday: past the deadline, no working day lost yet
    ['2025-09-27', '2025-09-26', '已过截止日（2025-09-26）'],
    // ... and on the 调休 Sunday 2025-09-28, which is a working day
    ['2025-09-28', '2025-09-26', '已超期 1 个工作日'],
    // Over 国庆 a deadline of 2025-09-30 stays one working day late until 10-09
    ['2025-10-05', '2025-09-30', '已过截止日（2025-09-30）'],
    ['2025-10-09', '2025-09-30', '已超期 1 个工作日'],
  ])('on %s with deadline %s: %s', (today, deadline, text) => {
    expect(remainingText(today, deadline, cal)).toBe(text);
  });
});
