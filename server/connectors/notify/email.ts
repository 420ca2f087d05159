import nodemailer from "nodemailer";
import { NOTIFY_TIMEOUT_MS } from "./webhook";

export interface SmtpConfig {
  host: string;
  port: number;
  /** Implicit TLS (465); otherwise STARTTLS when the server offers it. */
  isTls: boolean;
  username: string | null;
  password: string | null;
}

/** Sends one plain-text message through the receiver's SMTP server (nodemailer), with deadlines on every step. */
export async function sendEmail(smtp: SmtpConfig, message: { from: string; to: string[]; subject: string; text: string }): Promise<void> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.isTls,
    auth: smtp.username ? { user: smtp.username, pass: smtp.password ?? "" } : undefined,
    connectionTimeout: NOTIFY_TIMEOUT_MS,
    greetingTimeout: NOTIFY_TIMEOUT_MS,
    socketTimeout: NOTIFY_TIMEOUT_MS,
  });
  try {
    await transport.sendMail(message);
  } finally {
    transport.close();
  }
}
