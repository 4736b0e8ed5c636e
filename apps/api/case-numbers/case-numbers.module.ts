import { Module } from '@nestjs/common';
import { CaseNumbers } from './case-numbers.js';

@Module({ providers: [CaseNumbers], exports: [CaseNumbers] })
export class CaseNumbersModule {}
