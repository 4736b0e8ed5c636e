import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ProblemException } from './problem.js';

/** A UUID path parameter: anything else answers 400 naming it (in bokmål). */
export const UuidParam = (name: string, version?: '4') =>
  Param(
    name,
    new ParseUUIDPipe({
      ...(version ? { version } : {}),
      exceptionFactory: () =>
        new ProblemException(400, 'Ett eller flere felt er ugyldige.', [
          { field: name, reason: 'må være en UUID' },
        ]),
    }),
  );
