import { App, message as staticMessage } from 'antd';
import type { MessageInstance } from 'antd/es/message/interface';

/** antd messages themed by the host's <App> when there is one, the static ones otherwise. */
export function useMessage(): Pick<MessageInstance, 'success' | 'error' | 'info' | 'warning'> {
  // Outside an antd <App> the context holds an empty object rather than a message API.
  const { message } = App.useApp() as { message?: Partial<MessageInstance> };
  return message?.success ? (message as MessageInstance) : staticMessage;
}
