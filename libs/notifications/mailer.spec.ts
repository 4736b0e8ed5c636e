import { classifySmtpError } from './mailer.js';

describe('classifySmtpError', () => {
  it('tells a refusal for now from one for good from no answer', () => {
    expect(classifySmtpError(Object.assign(new Error('x'), { responseCode: 451 }))).toEqual({
      failure: 'transient',
      code: '451',
    });
    expect(classifySmtpError(Object.assign(new Error('x'), { responseCode: 421 })).failure).toBe('transient');
    expect(classifySmtpError(Object.assign(new Error('x'), { responseCode: 550 }))).toEqual({
      failure: 'permanent',
      code: '550',
    });
    expect(classifySmtpError(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))).toEqual({
      failure: 'unknown',
      code: 'ETIMEDOUT',
    });
    expect(classifySmtpError(Object.assign(new Error('x'), { code: 'not a code: <a@b.c>' })).code).toBe(
      'ERROR',
    );
  });
});
