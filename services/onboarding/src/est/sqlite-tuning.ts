import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * On SQLite (the embedded default), onboarding runs WAL with synchronous=NORMAL: a commit
 * no longer waits for an fsync, and a crash of the process loses nothing; only a power cut
 * can lose the last commits (SQLite docs, "WAL mode"). For a one-time secret that means a
 * consumed secret could come back after a power cut, which the certificate's own record
 * on the CA side still shows. PostgreSQL is untouched.
 */
@Injectable()
export class SqliteTuning implements OnModuleInit {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async onModuleInit(): Promise<void> {
    if (this.ds.options.type !== 'better-sqlite3') return;
    await this.ds.query('PRAGMA synchronous = NORMAL');
    new Logger('onboarding.db').log('SQLite: WAL, synchronous=NORMAL');
  }
}
